/* A virtio device of the tests' own: what it offers the guest. */
static uint64_t gizmo_get_features(VirtIODevice *vdev, uint64_t features, Error **errp)
{
    GizmoState *s = GIZMO(vdev);

    virtio_add_feature(&features, VIRTIO_GIZMO_F_FAST);
    if (s->wide) {
        virtio_add_feature(&features, VIRTIO_GIZMO_F_WIDE);
    }
    return features;
}

static void gizmo_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    if (vdev->guest_features & (1ULL << VIRTIO_F_ANY_LAYOUT)) {
        gizmo_fast_path(vdev);
    }
}

static Property gizmo_properties[] = {
    DEFINE_PROP_BIT64("wide", GizmoState, host_features, VIRTIO_GIZMO_F_WIDE, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void gizmo_class_init(ObjectClass *klass, void *data)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    vdc->get_features = gizmo_get_features;
    vdc->legacy_features |= VIRTIO_GIZMO_LEGACY_MASK;
}
