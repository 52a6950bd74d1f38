# A test that fails, saying what is missing and how to install it: registered in place of a suite
# whose dependency was not found when CMake ran, so that `make test` cannot pass without it.
# Run with -DSUITE=... -DMISSING=... -DINSTALL=... -DSKIP_OPTION=...
message(FATAL_ERROR "The ${SUITE} did not run: ${MISSING} was not found when the build was configured. "
                    "Install it (${INSTALL}; `make test` runs scripts/install-deps, which does this), then "
                    "reconfigure (`make test` again). To leave this suite out on purpose, configure with "
                    "-D${SKIP_OPTION}=ON (README, Developing).")
