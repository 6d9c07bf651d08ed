/** @odoo-module **/
// An employee with a portal account books with a note, moves and cancels the appointment.
// tests/test_tours.py runs it on a desktop and on a phone-sized screen, then checks what
// was stored (the typed note, the moved time, the cancellation).
import { registry } from "@web/core/registry";

export const VP_TOUR_NOTE = "I would like to talk about my team";

/** A step that fails when the page scrolls sideways (a phone must never need to). */
function noSidewaysScrolling(trigger) {
    return {
        content: "the page fits the screen width",
        trigger,
        run() {
            const overflow = document.documentElement.scrollWidth - window.innerWidth;
            if (overflow > 1) {
                throw new Error(`the page is ${overflow}px wider than the screen`);
            }
        },
    };
}

registry.category("web_tour.tours").add("vp_portal_book_move_cancel", {
    url: "/my/vertrouwenspersoon",
    steps: () => [
        {
            content: "choose a time with Anna",
            trigger: ".card:has(h4:contains(Anna Counsellor)) a[href*='/book/']",
            run: "click",
        },
        {
            content: "the form has a box for the note",
            trigger: "form textarea[name=note]",
        },
        noSidewaysScrolling("form button[type=submit]"),
        {
            content: "meet by video",
            trigger: "select[name=channel]",
            run: "select video",
        },
        {
            content: "the first free time is chosen",
            trigger: "select[name=start]:has(option:checked)",
        },
        {
            content: "type a note for the counsellor",
            trigger: "textarea[name=note]",
            run: `edit ${VP_TOUR_NOTE}`,
        },
        {
            content: "request the appointment",
            trigger: "form button[type=submit]",
            run: "click",
        },
        {
            content: "the appointment is requested",
            trigger: ".alert[role=status]:contains(requested)",
        },
        noSidewaysScrolling(".o_vp_state"),
        {
            content: "move it",
            trigger: "a[href$='/move']",
            run: "click",
        },
        {
            content: "moving asks no note again",
            trigger: "form:not(:has(textarea[name=note])) select[name=start]",
            run: "selectByIndex 1",
        },
        {
            content: "confirm the new time",
            trigger: "form button[type=submit]",
            run: "click",
        },
        {
            content: "the appointment is moved",
            trigger: ".alert[role=status]:contains(moved)",
        },
        {
            content: "cancel it",
            trigger: "form[action$='/cancel'] button[type=submit]",
            run: "click",
        },
        {
            content: "the appointment is cancelled and can no longer be changed",
            trigger: ".alert[role=status]:contains(cancelled)",
            run() {
                if (document.querySelector("a[href$='/move'], form[action$='/cancel']")) {
                    throw new Error("a cancelled appointment still offers to move or cancel");
                }
            },
        },
    ],
});
