// The package version (package.json), for the OpenAPI document and the Swagger page. Imported,
// not read from disk at run time: the production bundle (scripts/build.mjs) carries it, wherever
// dist/ is installed.
import packageJson from '../package.json' with { type: 'json' };

export const KUNDE_VERSION: string = packageJson.version;
