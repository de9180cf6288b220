// Sortable tables: each header button sorts its column (text, or numbers with data-numeric);
// aria-sort tells assistive technology the current order.
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach((table) => {
    const heads = [...table.querySelectorAll("thead th")];
    table.querySelectorAll("thead button[data-col]").forEach((button) => {
      button.addEventListener("click", () => {
        const th = button.closest("th");
        const col = Number(button.dataset.col);
        const numeric = button.dataset.numeric === "1";
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = [...body.rows];
        const key = (row) => row.cells[col].textContent.trim();
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        body.append(...rows);
      });
    });
  });
})();
