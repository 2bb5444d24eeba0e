"""modhttpd-advise's package: measures a modhttpd configuration under each
MPM and recommends one (docs/advisor.md). The entry point is main.main()."""
