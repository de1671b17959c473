// The prefetch hint is a header-only inline function (include/CPrefetch.h); a C target needs one source file.
#include "CPrefetch.h"
