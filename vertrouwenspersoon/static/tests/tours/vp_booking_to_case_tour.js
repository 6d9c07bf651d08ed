/** @odoo-module **/
// A counsellor unlocks the vault, opens an employee's booking, reads its note and turns
// the booking into a case (intake) in one click. tests/test_tours.py books the
// appointment with a note and checks the case made of it.
import { registry } from "@web/core/registry";
import { unlockVault } from "@vertrouwenspersoon/../tests/tours/vp_tour_tools";

const PASSPHRASE = "Zeven eiken in de Linde 2024";
const BOOKING_NOTE = "I would like to talk about my team";
const APPOINTMENTS = "/odoo/action-vertrouwenspersoon.vp_appointment_action";

registry.category("web_tour.tours").add("vp_counsellor_booking_to_case", {
    url: "/odoo",
    steps: () => [
        {
            content: "unlock the vault",
            trigger: ".o_main_navbar",
            async run() {
                const unlocked = await unlockVault(
                    "/vertrouwenspersoon/vault",
                    PASSPHRASE,
                    APPOINTMENTS
                );
                const status = await (
                    await fetch("/vertrouwenspersoon/vault/status", {
                        method: "POST",
                        headers: { "Content-Type": "application/json" },
                        body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {} }),
                    })
                ).json();
                if (!unlocked.ok || !status.result.unlocked) {
                    throw new Error("the vault did not unlock");
                }
                window.location.href = APPOINTMENTS;
            },
        },
        {
            content: "open the requested appointment",
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name=start]",
            run: "click",
        },
        {
            content: "the unlocked vault shows the employee's note",
            trigger: `.o_form_view .o_field_widget[name=note]:contains(${BOOKING_NOTE})`,
        },
        {
            content: "turn the booking into a case",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_create_case]",
            run: "click",
        },
        {
            content: "the new case holds the note of the booking",
            trigger: ".o_form_view .o_field_widget[name=notes] textarea",
            run() {
                if (!this.anchor.value.includes(BOOKING_NOTE)) {
                    throw new Error(`the case notes show "${this.anchor.value}"`);
                }
            },
        },
        {
            content: "the case is saved (a reference, no unsaved changes)",
            trigger: ".o_form_view:not(:has(.o_form_dirty)) .o_breadcrumb .active:not(:contains(New))",
        },
    ],
});
