export async function renderReport(results) {
  return '```json\n' + JSON.stringify(results, null, 2) + '\n```\n';
}
