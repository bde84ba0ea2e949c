/* A keyboard-controller-shaped device of the tests' own: what it holds after reset. */
static void gizmo_kbd_reset(void *opaque)
{
    GizmoKbdState *s = opaque;

    s->mode = GIZMO_MODE_KBD;
    s->outport = GIZMO_OUT_RESET | GIZMO_OUT_A20;
    s->timer_armed = false;
    if (s->state == GIZMO_ACTIVE) {
        s->state = GIZMO_STANDBY;
    }
}

static void gizmo_kbd_write(GizmoKbdState *s, uint8_t val)
{
    s->outport = val;
}

static const VMStateDescription vmstate_gizmo_kbd = {
    .name = "gizmo-kbd",
    .version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT8(mode, GizmoKbdState),
        VMSTATE_UINT8(outport, GizmoKbdState),
        VMSTATE_UINT8(state, GizmoKbdState),
        VMSTATE_END_OF_LIST()
    }
};
