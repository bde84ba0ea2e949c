/* Every test suite, one per tests/test_<module>.c: add a line to register a new one. */
SUITE(strbuf)
SUITE(date)
SUITE(cli)
SUITE(scenario)
