// Pages marked data-autoprint open the print dialog themselves once drawn (slips, receipts).
window.addEventListener("load", function () {
  if (document.body.hasAttribute("data-autoprint") || document.querySelector("[data-autoprint]")) {
    window.print();
  }
});
