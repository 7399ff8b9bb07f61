// Checks build/electron-builder.yml with electron-builder's own loader and
// schema, without packaging (which would download Electron):
// `node build/validate-config.cjs`.
const path = require('node:path');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

const projectDir = path.resolve(__dirname, '..');

getConfig(projectDir, 'build/electron-builder.yml', null)
  .then(async (config) => {
    await validateConfiguration(config, new DebugLogger(false));
    console.log(`electron-builder config OK: ${config.appId}, main ${config.extraMetadata?.main}`);
  })
  .catch((error) => {
    console.error(`electron-builder config invalid: ${error.message}`);
    process.exit(1);
  });
