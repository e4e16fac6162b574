// The API's ids are Relay global ids (base64 of "Type:uuid"); the HTTP endpoints beside it
// (/deliveries/:licenceId.csv, /catalog/datasets/:id.jsonld) take the bare uuid.

/** The uuid inside a global id; an id that is not a global id is returned as it is. */
export function localIdOf(globalId: string): string {
  try {
    const decoded = atob(globalId);
    const colon = decoded.indexOf(':');
    return colon > 0 && /^[A-Za-z]+$/.test(decoded.slice(0, colon)) ? decoded.slice(colon + 1) : globalId;
  } catch {
    return globalId;
  }
}
