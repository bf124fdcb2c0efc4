// Colour mode: "auto" follows the system's prefers-color-scheme, "light" or "dark" is the person's choice, kept in
// localStorage. Loaded in <head>, before the body is drawn, so a dark page never flashes white.
(function () {
    "use strict";
    const key = "tomalerts-theme";
    const dark = window.matchMedia("(prefers-color-scheme: dark)");

    const stored = () => {
        try {
            const value = window.localStorage.getItem(key);
            return value === "light" || value === "dark" ? value : "auto";
        } catch (e) {
            return "auto";
        }
    };

    const apply = choice => {
        const theme = choice === "auto" ? (dark.matches ? "dark" : "light") : choice;
        const root = document.documentElement;
        const changed = root.getAttribute("data-bs-theme") !== theme;
        root.setAttribute("data-bs-theme", theme);
        root.dataset.themeChoice = choice;
        document.querySelectorAll("[data-theme-value]").forEach(b => {
            const on = b.dataset.themeValue === choice;
            b.classList.toggle("active", on);
            b.setAttribute("aria-pressed", on ? "true" : "false");
        });
        const label = document.getElementById("theme-menu-label");
        if (label) { label.textContent = choice === "auto" ? "Theme: auto" : "Theme: " + choice; }
        if (changed) { document.dispatchEvent(new CustomEvent("tomalerts:themechange", { detail: { theme: theme } })); }
    };

    apply(stored());
    dark.addEventListener("change", () => { if (stored() === "auto") { apply("auto"); } });

    document.addEventListener("DOMContentLoaded", () => {
        apply(stored());
        document.querySelectorAll("[data-theme-value]").forEach(b => b.addEventListener("click", () => {
            const choice = b.dataset.themeValue;
            try {
                if (choice === "auto") { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, choice); }
            } catch (e) {
                // Private windows may refuse storage: the choice then lasts for this page only.
            }
            apply(choice);
        }));
    });
})();
