// ChainwatchIO: see the module's files.
import ChainwatchCore
