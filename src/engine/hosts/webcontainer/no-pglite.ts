// Stands in for PGlite inside the WebContainer runner, whose bundle leaves out PGlite's ~15 MB of WASM and data files.

/** The message a run gets when a kata needs SQL in WebContainer; the runner turns it into a clear refusal. */
export const SQL_UNAVAILABLE = 'the SQL database (PGlite) is not included in the WebContainer runner';

let requested = false;

/** true once anything tried to start the SQL database during this runner process */
export function sqlWasRequested(): boolean {
  return requested;
}

export const PGlite = {
  create(): Promise<never> {
    requested = true;
    return Promise.reject(new Error(SQL_UNAVAILABLE));
  },
};
