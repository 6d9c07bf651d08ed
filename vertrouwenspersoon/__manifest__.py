# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Vertrouwenspersoon",
    "summary": "Confidential counsellor for unwanted behaviour at work: "
    "bookings, encrypted case files, time, budget and an anonymised annual report",
    "version": "18.0.1.0.0",
    "category": "Human Resources",
    "website": "https://github.com/vertrouwenspersoon/vertrouwenspersoon",
    "author": "Vertrouwenspersoon developers",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "base",
        "mail",
        "portal",
        "hr",
        "calendar",
        "resource",
        "report_xlsx",
    ],
    "external_dependencies": {
        "python": ["cryptography>=3.4.8", "xlsxwriter>=3.0.2"],
    },
    "data": [
        "security/vp_groups.xml",
        "security/ir.model.access.csv",
        "security/vp_case_security.xml",
        "data/vp_category_data.xml",
        "views/vp_category_views.xml",
        "views/vp_menus.xml",
        "data/vp_case_data.xml",
        "data/vp_case_cron.xml",
        "views/vp_case_views.xml",
        "report/vp_case_inzage_report.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/hr_department_demo.xml",
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
        "demo/vp_case_demo.xml",
    ],
}
