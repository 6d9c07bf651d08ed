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
            content: "choose the first free time in the slot picker",
            trigger: "fieldset.o_vp_day:first label.o_vp_slot:first",
            run: "click",
        },
        {
            content: "a first name (or a pseudonym) is enough",
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
            content: "the page shows a link of the booker's own to keep (not the address bar)",
            trigger: ".o_vp_keep_link .o_vp_manage_url",
            run() {
                const shown = this.anchor.textContent.trim();
                const pattern = /^https?:\/\/[^/]+\/afspraak\/\d+\/[\w-]{20,}$/;
                if (!pattern.test(shown)) {
                    throw new Error(`the link shown (${shown}) is not a link to keep`);
                }
                if (window.location.href.includes(shown.split("/").pop())) {
                    throw new Error("the token is in the address bar");
                }
            },
        },
        {
            content: "a booking code to read out, and a way to print or save",
            trigger: ".o_vp_keep_link:has(.o_vp_booking_code:not(:empty)):has(button:contains(Print))",
        },
    ],
});
