/** @odoo-module **/
// A director opens the published annual report from the home screen, reads the
// figures and downloads the PDF and the workbook.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("vp_director_reads_report", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the annual reports app",
            trigger: ".o_app[data-menu-xmlid='vertrouwenspersoon.menu_vp_reports_root']",
            run: "click",
        },
        {
            content: "open the published report",
            trigger: ".o_list_view .o_data_row:contains(2019) .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "the report is published and read-only",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Published)",
        },
        {
            content: "PDF and XLSX can be downloaded",
            trigger: ".o_form_view .o_statusbar_buttons:has(button:contains(PDF)):has(button:contains(XLSX))",
        },
        {
            content: "show the figures",
            trigger: ".o_notebook .nav-link[name=figures]",
            run: "click",
        },
        {
            content: "the frozen figures are shown, with the rule and a chart",
            trigger: ".o_field_widget[name=figures_html] .vp_rule ~ table",
        },
        {
            content: "download the PDF",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(PDF)",
            run: "click",
        },
        {
            content: "the PDF download is done: the buttons are enabled again",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(PDF):enabled",
        },
        {
            content: "download the workbook",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(XLSX)",
            run: "click",
        },
        {
            content: "the workbook download is done",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(XLSX):enabled",
        },
    ],
});
