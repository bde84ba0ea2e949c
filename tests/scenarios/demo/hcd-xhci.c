/* Demo fixture for mtcheck: a USB controller with a property default. */
#include "qemu/osdep.h"
#include "hw/usb/hcd-xhci.h"

static const Property xhci_properties[] = {
    DEFINE_PROP_UINT32("intrs", XHCIState, numintrs, 16),
    DEFINE_PROP_UINT32("slots", XHCIState, numslots, 64),
};

static void xhci_reset_ports(XHCIState *xhci)
{
    xhci->numports = xhci->numports_2 + xhci->numports_3;
}
