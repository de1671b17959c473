// ChainwatchStore: see the module's files.
