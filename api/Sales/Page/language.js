// Shared by the /enterprise pages: Dutch unless ?lang=en, and the switch buttons ([data-lang]) that change the language,
// kept in the address so a reload or a shared link stays in it.
"use strict";

const pageLanguage = {
  initial() {
    return new URLSearchParams(location.search).get("lang") === "en" ? "en" : "nl";
  },

  /** Sets the document's language and which switch button is pressed. */
  mark(language) {
    document.documentElement.lang = language;
    for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === language));
  },

  /** Calls change(language) when a switch button is used. */
  onSwitch(change) {
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.addEventListener("click", () => {
        const url = new URL(location.href);
        url.searchParams.set("lang", button.dataset.lang);
        history.replaceState(null, "", url);
        change(button.dataset.lang);
      });
    }
  },
};
