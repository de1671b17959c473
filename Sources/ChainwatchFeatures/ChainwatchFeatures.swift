// ChainwatchFeatures: see the module's files.
