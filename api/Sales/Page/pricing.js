// The pricing calculator: every change asks POST /v1/quotes/calculate and shows its answer, so the page never computes a
// price of its own and always says what the API says. Dutch by default, English on request (?lang=en or the switch).
"use strict";

const texts = {
  nl: {
    title: "Prijscalculator", intro: "Bereken de prijs van Taskee Enterprise voor de hele looptijd. Bedragen in euro, btw apart vermeld.",
    choices: "Uw keuzes", plan: "Abonnement", seats: "Aantal gebruikers", aiCalls: "AI-aanroepen per maand", storageGb: "Opslag in GB",
    slaTier: "SLA", termYears: "Looptijd in jaren", addOns: "Extra's per gebruiker", quote: "Uw prijs", description: "Omschrijving",
    quantity: "Aantal", unitPrice: "Prijs per stuk", amount: "Bedrag", subtotal: "Subtotaal", discount: "Korting", vat: "Btw", total: "Totaal",
    contactUs: "Vraag een offerte aan", fix: "Controleer de gemarkeerde velden.", failed: "De prijs kan nu niet worden berekend.",
  },
  en: {
    title: "Pricing calculator", intro: "Calculate the price of Taskee Enterprise for the whole term. Amounts in euros, VAT shown separately.",
    choices: "Your choices", plan: "Plan", seats: "Number of users", aiCalls: "AI calls per month", storageGb: "Storage in GB",
    slaTier: "SLA", termYears: "Term in years", addOns: "Extras per user", quote: "Your price", description: "Description",
    quantity: "Quantity", unitPrice: "Unit price", amount: "Amount", subtotal: "Subtotal", discount: "Discount", vat: "VAT", total: "Total",
    contactUs: "Ask for a quote", fix: "Please check the marked fields.", failed: "The price cannot be calculated right now.",
  },
};

let language = pageLanguage.initial();
let currency = "EUR";
let pending = 0;
const status = document.getElementById("calc-status");

function t(key) { return texts[language][key]; }

function money(cents) {
  return new Intl.NumberFormat(language === "nl" ? "nl-NL" : "en-GB", { style: "currency", currency }).format(cents / 100);
}

function applyLanguage() {
  pageLanguage.mark(language);
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
}

function options(select, values) {
  select.replaceChildren(...values.map(value => new Option(value, value)));
}

function number(id) {
  const text = document.getElementById(id).value.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

function request() {
  return {
    plan: document.getElementById("plan").value,
    seats: number("seats"),
    aiCalls: number("aiCalls"),
    storageGb: number("storageGb"),
    addOns: [...document.querySelectorAll("#addons input:checked")].map(input => input.value),
    slaTier: document.getElementById("slaTier").value,
    termYears: Number(document.getElementById("termYears").value),
  };
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function show(quote) {
  document.querySelector("#lines tbody").replaceChildren(...quote.lines.map(line => {
    const row = document.createElement("tr");
    row.append(cell(line.description), cell(String(line.quantity)), cell(money(line.unitPriceCents)), cell(money(line.totalCents)));
    return row;
  }));
  for (const key of ["subtotal", "discount", "vat", "total"]) {
    const element = document.getElementById(key);
    element.textContent = money(quote[`${key}Cents`]);
    element.dataset.cents = String(quote[`${key}Cents`]);
  }
  document.getElementById("lines").dataset.priceBookVersion = String(quote.priceBookVersion);
}

async function calculate() {
  const mine = ++pending;
  for (const element of document.querySelectorAll("[data-error-for]")) element.textContent = "";
  for (const element of document.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
  try {
    const response = await fetch("/v1/quotes/calculate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()) });
    const answer = await response.json();
    if (mine !== pending) return; // a later change is on its way
    if (response.ok) {
      show(answer);
      status.textContent = "";
      status.dataset.state = "calculated";
    } else if (answer.errors) {
      for (const [field, messages] of Object.entries(answer.errors)) {
        const target = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ?? status;
        target.textContent = messages.join(" ");
        document.getElementById(field)?.setAttribute("aria-invalid", "true");
      }
      status.textContent = t("fix");
      status.dataset.state = "invalid";
    } else {
      status.textContent = answer.detail ?? t("failed");
      status.dataset.state = "failed";
    }
  } catch {
    status.textContent = t("failed");
    status.dataset.state = "failed";
  }
}

async function start() {
  applyLanguage();
  const response = await fetch("/v1/price-book", { cache: "no-store" });
  const { book } = await response.json();
  currency = book.currency;
  options(document.getElementById("plan"), Object.keys(book.plans));
  document.getElementById("plan").value = "enterprise" in book.plans ? "enterprise" : Object.keys(book.plans)[0];
  options(document.getElementById("slaTier"), Object.keys(book.slaTierMonthlyCents));
  options(document.getElementById("termYears"), Object.keys(book.termDiscountPercent));
  const addOns = document.getElementById("addons");
  for (const name of Object.keys(book.addOnSeatPriceCents)) {
    const wrapper = document.createElement("div");
    wrapper.className = "choice";
    const input = Object.assign(document.createElement("input"), { type: "checkbox", id: `addon-${name}`, value: name });
    const label = Object.assign(document.createElement("label"), { htmlFor: input.id, textContent: name.toUpperCase() });
    wrapper.append(input, label);
    addOns.append(wrapper);
  }
  document.getElementById("calculator").addEventListener("input", calculate);
  document.getElementById("calculator").addEventListener("change", calculate);
  await calculate();
}

pageLanguage.onSwitch(chosen => {
  language = chosen;
  applyLanguage();
  calculate();
});

start();
