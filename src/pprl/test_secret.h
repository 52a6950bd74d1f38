// A fixed linkage secret for the tests of privacy-preserving linkage.
#pragma once

#include "pprl/secret.h"

namespace kith::pprl {

inline LinkageSecret TestSecret(char fill = 'a') { return *LinkageSecret::FromHex(std::string(64, fill)); }

}  // namespace kith::pprl
