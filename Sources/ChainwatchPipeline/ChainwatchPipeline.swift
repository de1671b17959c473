// ChainwatchPipeline: see the module's files.
