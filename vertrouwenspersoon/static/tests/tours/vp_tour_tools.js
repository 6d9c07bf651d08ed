/** @odoo-module **/
// What several tours do outside the web client. The vault page runs no script (its
// Content-Security-Policy forbids it), so a tour cannot run there: it posts the passphrase
// to that page's form, with the page's CSRF token, as the page's own form does.

export async function unlockVault(vaultUrl, passphrase, redirect) {
    const page = await (await fetch(vaultUrl)).text();
    const csrf = page.match(/name="csrf_token" value="([^"]+)"/)[1];
    return fetch("/vertrouwenspersoon/vault/unlock", {
        method: "POST",
        body: new URLSearchParams({ csrf_token: csrf, passphrase, redirect }),
    });
}
