/* Compat entries with Latin-1 bytes, as an old tree might have. */
GlobalProperty hw_compat_4_0[] = {
    { "café-device", "x-naïve", "on" },
};
