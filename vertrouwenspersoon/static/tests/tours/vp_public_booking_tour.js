/** @odoo-module **/
// A person without an account books by phone only: no e-mail is promised, and the page
// shows the link to come back with and a booking code, with a way to print or save it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vp_public_book_phone_only", {
    url: "/vertrouwenspersoon/afspraak",
    steps: () => [
        {
            content: "choose a time with Anna",
            trigger: ".card:has(h4:contains(Anna Counsellor)) a[href*='/book/']",
            run: "click",
        },
        {
            content: "a first name is enough",
            trigger: "input[name=contact_name]",
            run: "edit Sam",
        },
        {
            content: "only a phone number",
            trigger: "input[name=contact_phone]",
            run: "edit 0612345678",
        },
        {
            content: "request the appointment",
            trigger: "form button[type=submit]",
            run: "click",
        },
        {
            content: "no e-mail is promised",
            trigger: ".alert[role=status]:contains(no e-mail address):not(:contains(you will receive))",
        },
        {
            content: "the page shows its own link to keep",
            trigger: ".o_vp_keep_link .o_vp_manage_url",
            run() {
                const shown = this.anchor.textContent.trim();
                const here = window.location.href.split("?")[0];
                if (shown !== here) {
                    throw new Error(`the link shown (${shown}) is not this page (${here})`);
                }
            },
        },
        {
            content: "a booking code to read out, and a way to print or save",
            trigger: ".o_vp_keep_link:has(.o_vp_booking_code:not(:empty)):has(button:contains(Print))",
        },
    ],
});
