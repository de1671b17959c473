// ChainwatchModels: see the module's files.
