GlobalProperty hw_compat_4_0[] = {
    { "virtio-gpu-device", "edid", "false" },
};
const size_t hw_compat_4_0_len = G_N_ELEMENTS(hw_compat_4_0);

GlobalProperty hw_compat_3_1[] = {
    { "pcie-root-port", "x-speed", "2_5" },
    { "memory-backend-file", "x-use-canonical-path-for-ramblock-id", "false" },
    { "tpm-crb", "ppi", "false" },
};
const size_t hw_compat_3_1_len = G_N_ELEMENTS(hw_compat_3_1);
