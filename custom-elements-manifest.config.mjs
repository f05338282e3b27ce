// Custom Elements Manifest for Guildkit: `npm run analyze` writes custom-elements.json, which feeds
// Storybook's controls and docs and ships in the npm package for editors and other tools.
import fs from 'node:fs';
import path from 'node:path';

/** Where elements register their tags (`define('guild-x', GuildX)`); read only, never part of the globs. */
const DEFINE_DIR = 'src/define';

/**
 * Internal base classes whose public API (`api`, `theme`) every element inherits. They are parsed so
 * that inheritance can be applied, then removed from the output: `src/internal/` is not public API.
 */
const BASE_CLASS_MODULES = ['src/internal/guild-element.ts'];

/**
 * Registration goes through a version-tolerant `define()` helper, which the analyzer does not know
 * (it only understands `customElements.define`). This reads each `src/define/*.ts` entry module and
 * adds a `custom-element-definition` export for it, so the core plugins link class → tag as usual.
 */
function defineHelperTagsPlugin() {
  return {
    name: 'guildkit - tags from src/define',
    initialize({ ts, customElementsManifest }) {
      /** Class name → module path, from each element module's `export class`. */
      const elementModules = new Map();
      for (const file of walk('src/elements')) {
        if (file.endsWith('.styles.ts')) continue;
        const source = fs.readFileSync(file, 'utf8');
        for (const match of source.matchAll(/export class (\w+)/g)) elementModules.set(match[1], toPosix(file));
      }
      for (const file of fs.readdirSync(DEFINE_DIR).filter((name) => name.endsWith('.ts')).sort()) {
        const modulePath = toPosix(path.join(DEFINE_DIR, file));
        const sourceFile = ts.createSourceFile(modulePath, fs.readFileSync(modulePath, 'utf8'), ts.ScriptTarget.ES2022, true);
        const exports = [];
        const visit = (node) => {
          if (
            ts.isCallExpression(node) &&
            ts.isIdentifier(node.expression) &&
            node.expression.text === 'define' &&
            node.arguments.length >= 2 &&
            ts.isStringLiteralLike(node.arguments[0]) &&
            ts.isIdentifier(node.arguments[1])
          ) {
            const tagName = node.arguments[0].text;
            const className = node.arguments[1].text;
            const module = elementModules.get(className);
            if (!module) throw new Error(`${modulePath}: define('${tagName}', ${className}) names no class in src/elements.`);
            exports.push({ kind: 'custom-element-definition', name: tagName, declaration: { name: className, module } });
          }
          ts.forEachChild(node, visit);
        };
        visit(sourceFile);
        if (exports.length > 0) {
          customElementsManifest.modules.push({ kind: 'javascript-module', path: modulePath, declarations: [], exports });
        }
      }
    },
  };
}

/**
 * An event dispatched as a typed class (`new GuildKudosChangeEvent(…)`) is listed twice: named, from
 * `@fires`, and nameless, from the `dispatchEvent` call. The named entry documents it; drop the other.
 */
function dropNamelessEventsPlugin() {
  return {
    name: 'guildkit - drop nameless events',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

/** Runs after inheritance is applied: the base classes have done their job and are not public. */
function dropInternalModulesPlugin() {
  return {
    name: 'guildkit - drop internal modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules = customElementsManifest.modules.filter(
        (module) => !BASE_CLASS_MODULES.includes(module.path),
      );
    },
  };
}

function toPosix(file) {
  return file.split(path.sep).join('/');
}

/** Every `.ts` file under a folder (`fs.globSync` needs Node 22). */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** @type {import('@custom-elements-manifest/analyzer').Config} */
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  litelement: true,
  overrideModuleCreation({ ts, globs }) {
    return [...globs, ...BASE_CLASS_MODULES].map((file) =>
      ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2015, true),
    );
  },
  plugins: [defineHelperTagsPlugin(), dropNamelessEventsPlugin(), dropInternalModulesPlugin()],
};
