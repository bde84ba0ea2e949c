/* Demo fixture for mtcheck: block-layer code with no guest-ABI relevance. */
#include "qemu/osdep.h"
#include "block/qcow2.h"

static int qcow2_open_snapshot_table(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_read_snapshots(bs, errp);

    if (ret < 0) {
        return ret;
    }
    s->snapshots_loaded = true;
    return 0;
}

static int qcow2_check_refcounts_quick(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    return s->refcount_table_size ? 0 : -EINVAL;
}
