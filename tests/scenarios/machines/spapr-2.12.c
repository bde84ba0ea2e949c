/* pseries 2.6 to 9.0, with the tagged machine. */
DEFINE_SPAPR_MACHINE(2_12, "2.12", true);
DEFINE_SPAPR_MACHINE(2_12_sxxm, "2.12-sxxm", false);
DEFINE_SPAPR_MACHINE(2_11, "2.11", false);
