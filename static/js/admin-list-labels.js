// On a phone the admin's change lists stack each row as a card (admin.css); each cell is then
// led by its column's name, copied here from the table's header.
for (const table of document.querySelectorAll("#result_list")) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, index) => {
      if (names[index]) cell.dataset.label = names[index];
    });
  }
}
