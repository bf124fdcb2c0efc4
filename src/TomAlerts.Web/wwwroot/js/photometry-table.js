// The target page's photometry table is read from the server the first time it is opened (a long light curve makes a
// long table, which most visits never open); the link inside stays for a browser without scripts, and if the table
// cannot be read the link is offered with the reason.
(function () {
    "use strict";
    const details = document.getElementById("photometry");
    const body = document.getElementById("photometry-body");
    if (!details || !body || !details.dataset.src) {
        return;
    }
    let asked = false;
    details.addEventListener("toggle", async () => {
        if (!details.open || asked) {
            return;
        }
        asked = true;
        const link = body.querySelector("a");
        body.setAttribute("aria-busy", "true");
        try {
            const response = await fetch(details.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } });
            if (response.redirected) {
                throw new Error("you are no longer logged in");
            }
            if (!response.ok) {
                throw new Error("the server answered " + response.status);
            }
            body.innerHTML = await response.text();
        } catch (e) {
            asked = false;
            const note = document.createElement("p");
            note.className = "text-danger my-2";
            note.textContent = "The table could not be loaded (" + e.message + "). ";
            if (link) {
                note.appendChild(link);
            }
            body.replaceChildren(note);
        } finally {
            body.removeAttribute("aria-busy");
        }
    });
})();
