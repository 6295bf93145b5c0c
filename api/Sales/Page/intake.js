// The enterprise intake form: Dutch by default, English on request (?lang=en or the switch). It posts JSON to
// POST /v1/leads and puts the field errors of the API's problem details beside their fields.
"use strict";

const texts = {
  nl: {
    title: "Taskee Enterprise op maat",
    intro: "Vertel ons wat uw organisatie nodig heeft. We nemen binnen twee werkdagen contact met u op. Velden met * zijn verplicht.",
    aboutOrganisation: "Uw organisatie", organisationName: "Naam van de organisatie *", sector: "Sector *", choose: "Kies een sector",
    sectorZorg: "Zorg", sectorFacilitair: "Facilitair", other: "Anders", users: "Aantal gebruikers *",
    compliance: "Aan welke normen moet u voldoen?", tooling: "Welke kantoorsoftware gebruikt u nu?", needs: "Wat heeft u nodig?",
    needsSso: "Single sign-on (SSO)", needsScim: "Automatisch gebruikers beheren (SCIM)", needsSla: "Een SLA met gegarandeerde beschikbaarheid",
    privateHosting: "Interesse in private hosting", integrations: "Welke koppelingen wilt u?", contact: "Contactpersoon",
    contactName: "Naam *", contactEmail: "E-mailadres *", contactPhone: "Telefoonnummer", send: "Versturen", sending: "Bezig met versturen…",
    thanksTitle: "Bedankt!", thanksText: "We hebben uw aanvraag ontvangen en nemen binnen twee werkdagen contact met u op.",
    reference: "Uw referentie:", fixFields: "Controleer de gemarkeerde velden.", failed: "Versturen is niet gelukt. Probeer het later opnieuw.",
    formUnavailable: "Het formulier kan nu niet worden geladen. Probeer het later opnieuw.",
  },
  en: {
    title: "Taskee Enterprise, tailored",
    intro: "Tell us what your organisation needs. We will contact you within two working days. Fields marked * are required.",
    aboutOrganisation: "Your organisation", organisationName: "Organisation name *", sector: "Sector *", choose: "Choose a sector",
    sectorZorg: "Healthcare", sectorFacilitair: "Facility services", other: "Other", users: "Number of users *",
    compliance: "Which standards must you comply with?", tooling: "Which office suite do you use now?", needs: "What do you need?",
    needsSso: "Single sign-on (SSO)", needsScim: "Automatic user provisioning (SCIM)", needsSla: "An SLA with guaranteed availability",
    privateHosting: "Interested in private hosting", integrations: "Which integrations do you want?", contact: "Contact person",
    contactName: "Name *", contactEmail: "E-mail address *", contactPhone: "Phone number", send: "Send", sending: "Sending…",
    thanksTitle: "Thank you!", thanksText: "We have received your request and will contact you within two working days.",
    reference: "Your reference:", fixFields: "Please check the marked fields.", failed: "Sending failed. Please try again later.",
    formUnavailable: "The form cannot be loaded right now. Please try again later.",
  },
};

// Which input an error key of the API belongs to (the rest are named like their input).
const inputOf = {
  "contact.name": "contactName", "contact.email": "contactEmail", "contact.phone": "contactPhone",
  compliance: "compliance-iso27001", tooling: "tooling-google-workspace", formToken: "send",
};

const form = document.getElementById("intake");
const status = document.getElementById("form-status");
let language = pageLanguage.initial();
let formInfo = null;

function t(key) { return texts[language][key]; }

function applyLanguage() {
  pageLanguage.mark(language);
  document.title = language === "nl" ? "Taskee Enterprise · Op maat" : "Taskee Enterprise · Tailored";
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  if (formInfo) document.getElementById("consent-text").textContent = formInfo.consent.texts[language] + " *";
}

pageLanguage.onSwitch(chosen => {
  language = chosen;
  applyLanguage();
});

async function loadForm() {
  try {
    const response = await fetch("/v1/leads/form", { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    formInfo = await response.json();
    applyLanguage();
  } catch {
    showStatus(t("formUnavailable"), true);
  }
}

function showStatus(message, isError) {
  status.textContent = message;
  status.classList.toggle("error", Boolean(isError));
}

function clearErrors() {
  for (const element of document.querySelectorAll("[data-error-for]")) element.textContent = "";
  for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
}

function showErrors(errors) {
  let first = null;
  for (const [field, messages] of Object.entries(errors)) {
    const target = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ?? status;
    target.textContent = messages.join(" ");
    const input = document.getElementById(inputOf[field] ?? field);
    if (input && input.id !== "send") input.setAttribute("aria-invalid", "true");
    first ??= input;
  }
  showStatus(t("fixFields"), true);
  first?.focus();
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(input => input.value);
}

function body() {
  const value = id => document.getElementById(id).value.trim();
  const users = value("users");
  return {
    organisationName: value("organisationName"),
    sector: value("sector") || null,
    users: /^\d+$/.test(users) ? Number(users) : null,
    compliance: checked("compliance"),
    tooling: checked("tooling"),
    needsSso: document.getElementById("needsSso").checked,
    needsScim: document.getElementById("needsScim").checked,
    needsSla: document.getElementById("needsSla").checked,
    integrations: value("integrations") || null,
    privateHosting: document.getElementById("privateHosting").checked,
    contact: { name: value("contactName"), email: value("contactEmail"), phone: value("contactPhone") || null },
    consent: document.getElementById("consent").checked,
    language,
    formToken: formInfo?.formToken ?? null,
    website: document.getElementById("website").value,
  };
}

form.addEventListener("submit", async event => {
  event.preventDefault();
  clearErrors();
  const send = document.getElementById("send");
  send.disabled = true;
  showStatus(t("sending"), false);
  try {
    const response = await fetch("/v1/leads", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body()) });
    const answer = await response.json().catch(() => null);
    if (response.status === 201) {
      form.hidden = true;
      const thanks = document.getElementById("thanks");
      document.getElementById("lead-id").textContent = answer.id;
      thanks.hidden = false;
      thanks.querySelector("h2").focus();
    } else if (answer?.errors) {
      showErrors(answer.errors);
    } else {
      showStatus(answer?.detail ?? t("failed"), true);
    }
  } catch {
    showStatus(t("failed"), true);
  } finally {
    send.disabled = false;
  }
});

applyLanguage();
loadForm();
