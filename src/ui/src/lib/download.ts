// Saves a response body as a file. Exports need the Bearer header, so a plain link cannot fetch them;
// the body is fetched, then handed to the browser through a short-lived object URL.
export async function saveResponse(response: Response, fileName: string): Promise<void> {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
