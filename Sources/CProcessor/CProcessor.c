// The helpers are header-only inline functions (include/CProcessor.h); a C target needs one source file.
#include "CProcessor.h"
