/* A unit test with its own device properties, written for mtcheck's tests. */
static Property static_props[] = {
    DEFINE_PROP_UINT32("prop1", MyType, prop1, 0),
    DEFINE_PROP_END_OF_LIST(),
};
