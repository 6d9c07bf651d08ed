/** @odoo-module **/
// An employee with a portal account books with a note in the slot picker, moves the
// appointment (another time, another channel) and cancels it (asked once).
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
            content: "the slot picker shows the first week with free times",
            trigger: "fieldset#vp_slots fieldset.o_vp_day legend",
        },
        {
            content: "page to the next week (a plain link)",
            trigger: "a.o_vp_week_next",
            run: "click",
        },
        {
            content: "and back to the first week",
            trigger: "a.o_vp_week_prev",
            run: "click",
        },
        noSidewaysScrolling("fieldset.o_vp_day label.o_vp_slot"),
        {
            content: "choose the first free time",
            trigger: "fieldset.o_vp_day:first label.o_vp_slot:first",
            run: "click",
        },
        {
            content: "the time is chosen",
            trigger: "input[name=start]:checked + label.o_vp_slot",
        },
        {
            content: "meet by video",
            trigger: "select[name=channel]",
            run: "select video",
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
            content: "moving shows the current time and channel",
            trigger: ".o_vp_current:contains(Video call)",
        },
        {
            // The booked time is the first of its week (booked above), and it is offered
            // again when moving. Late on a Sunday it can be the only one: then next week.
            content: "moving asks no note again",
            trigger: "form:not(:has(textarea[name=note])) label.o_vp_slot",
            run() {
                if (document.querySelectorAll("label.o_vp_slot").length < 2) {
                    document.querySelector("a.o_vp_week_next").click();
                }
            },
        },
        {
            content: "choose another time than the booked one, whatever the time of day",
            trigger: "form:not(:has(textarea[name=note])) label.o_vp_slot:eq(1)",
            run: "click",
        },
        {
            content: "and talk by phone instead",
            trigger: "select[name=channel]",
            run: "select phone",
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
            trigger: "a.o_vp_cancel",
            run: "click",
        },
        {
            content: "cancelling asks once",
            trigger: "h2:contains(Cancel this appointment?)",
        },
        noSidewaysScrolling("form[action$='/cancel'] button[type=submit]"),
        {
            content: "yes, cancel it",
            trigger: "form[action$='/cancel'] button[type=submit]",
            run: "click",
        },
        {
            content: "the appointment is cancelled and can no longer be changed",
            trigger: ".alert[role=status]:contains(cancelled)",
            run() {
                if (document.querySelector("a[href$='/move'], a.o_vp_cancel")) {
                    throw new Error("a cancelled appointment still offers to move or cancel");
                }
            },
        },
        {
            content: "a way back to the start page",
            trigger: "a.o_vp_back_home",
            run: "click",
        },
        {
            content: "the cancelled appointment is kept aside, with its counsellor",
            trigger: "details.o_vp_earlier summary",
            run: "click",
        },
        {
            content: "the cancelled appointment names its counsellor",
            trigger: "details.o_vp_earlier[open] .o_vp_list_counsellor:contains(Anna Counsellor)",
        },
    ],
});
