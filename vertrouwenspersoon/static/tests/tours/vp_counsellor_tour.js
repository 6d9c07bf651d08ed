/** @odoo-module **/
// A counsellor sees the dashboard counts, opens a case, unlocks the vault from it, comes
// back to the case with the app's menu bar and adds a contact moment. tests/test_tours.py makes 2 open cases (1 with aftercare this week) and
// 1 closed case whose retention ends within 30 days, then checks the stored contact moment.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { unlockVault } from "@vertrouwenspersoon/../tests/tours/vp_tour_tools";

export const VP_TOUR_PASSPHRASE = "Zeven eiken in de Linde 2024";
export const VP_TOUR_CONTACT_NOTE = "Follow-up call: things are calmer";

/** The dashboard card opened by `method` shows exactly `count`. */
function cardShows(method, count) {
    return {
        content: `${method} shows ${count}`,
        trigger: `.o_vp_dashboard_card[name=${method}] .o_vp_dashboard_count`,
        run() {
            const shown = this.anchor.textContent.trim();
            if (shown !== String(count)) {
                throw new Error(`${method}: the dashboard shows ${shown}, expected ${count}`);
            }
        },
    };
}

registry.category("web_tour.tours").add("vp_counsellor_dashboard_case", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the counsellor's app",
            trigger: ".o_app[data-menu-xmlid='vertrouwenspersoon.menu_vp_root']",
            run: "click",
        },
        {
            content: "the app opens on the dashboard, not on an unsaved record",
            trigger: ".o_vp_dashboard .o_breadcrumb:contains(Dashboard):not(:has(.o_form_status_indicator))",
        },
        cardShows("action_open_cases", 2),
        cardShows("action_aftercare_due", 1),
        cardShows("action_retention_due", 1),
        cardShows("action_this_year", 2),
        {
            content: "open the open cases",
            trigger: ".o_vp_dashboard_card[name=action_open_cases]",
            run: "click",
        },
        {
            content: "the breadcrumb names the dashboard and the counter",
            trigger: ".o_breadcrumb:has(a:contains(Dashboard)) .active:contains(Open cases)",
        },
        {
            content: "the list holds the 2 open cases the counter showed",
            trigger: ".o_list_view .o_data_row:eq(1)",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
                if (rows !== 2) {
                    throw new Error(`the list shows ${rows} cases, the dashboard 2`);
                }
            },
        },
        {
            content: "open a case",
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name=name]",
            run: "click",
        },
        {
            // The tour asks the case where its unlock button leads (see unlockVault).
            content: "the vault is locked: unlock it from the case",
            trigger: ".o_form_view .alert button[name=action_unlock_vault]",
            async run() {
                const caseId = Number(window.location.pathname.split("/").pop());
                const rpc = await fetch("/web/dataset/call_kw/vp.case/action_unlock_vault", {
                    method: "POST",
                    headers: { "Content-Type": "application/json" },
                    body: JSON.stringify({
                        jsonrpc: "2.0",
                        method: "call",
                        params: {
                            model: "vp.case",
                            method: "action_unlock_vault",
                            args: [[caseId]],
                            kwargs: {},
                        },
                    }),
                });
                const action = (await rpc.json()).result;
                const vaultUrl = new URL(action.url, window.location.origin);
                const unlocked = await unlockVault(
                    vaultUrl,
                    VP_TOUR_PASSPHRASE,
                    vaultUrl.searchParams.get("redirect")
                );
                if (!unlocked.redirected) {
                    throw new Error("the vault did not unlock and send the counsellor back");
                }
                window.location.href = new URL(unlocked.url).pathname;
            },
        },
        {
            content: "back on the case in the full screen, with the app's menu bar",
            trigger: ".o_main_navbar .o_menu_sections [data-menu-xmlid='vertrouwenspersoon.menu_vp_case_dashboard']",
        },
        {
            content: "the unlocked vault shows the reporter's name",
            trigger: ".o_form_view .o_field_widget[name=melder_name] input",
            run() {
                if (this.anchor.value !== "Melder Zeldzaamnaam") {
                    throw new Error(`the reporter shows as ${this.anchor.value}`);
                }
            },
        },
        {
            content: "go to the contact moments",
            trigger: ".o_notebook .nav-link[name=contacts]",
            run: "click",
        },
        {
            content: "add a contact moment",
            trigger: ".o_field_widget[name=contact_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "write what was said",
            trigger: ".o_field_widget[name=contact_ids] .o_selected_row [name=notes] textarea",
            run: `edit ${VP_TOUR_CONTACT_NOTE}`,
        },
        {
            content: "save the case",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "the contact moment is saved",
            trigger: `.o_form_view:not(:has(.o_form_dirty)) .o_field_widget[name=contact_ids] .o_data_row:not(.o_selected_row):contains(${VP_TOUR_CONTACT_NOTE})`,
        },
    ],
});
