/** @odoo-module **/
// The counsellor's start screen: counters of their own cases, each opening the matching list.
// A client action rather than a form, so there is no unsaved record, no save/discard icons
// and the lists it opens have "Dashboard" as breadcrumb.
import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

export class CaseDashboard extends Component {
    static template = "vertrouwenspersoon.CaseDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ cards: [] });
        onWillStart(async () => {
            this.state.cards = await this.orm.call("vp.case.dashboard", "get_cards", []);
        });
    }

    async open(card) {
        const action = await this.orm.call("vp.case.dashboard", card.method, [[]]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("vp_case_dashboard", CaseDashboard);
