// Refresh a job's progress block every two seconds until the job is finished.
(function () {
  const box = document.getElementById("job-state");
  if (!box) return;
  const finished = () => box.querySelector("[data-finished='1']") !== null;
  const tick = async () => {
    if (finished()) return;
    try {
      const response = await fetch(box.dataset.url, { headers: { "X-Requested-With": "fetch" } });
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) { /* offline for a moment: try again */ }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
})();
