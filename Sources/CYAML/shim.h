#ifndef PROVSYNC_CYAML_SHIM_H
#define PROVSYNC_CYAML_SHIM_H

#include <yaml.h>

#endif
