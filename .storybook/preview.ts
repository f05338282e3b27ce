/// <reference types="vite/client" />
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';

/** The parts of a Custom Elements Manifest this file reads (schema: custom-elements-manifest). */
interface ManifestMember {
  name: string;
  kind?: string;
  privacy?: 'public' | 'private' | 'protected';
  static?: boolean;
}
interface ManifestDeclaration {
  kind: string;
  name: string;
  members?: ManifestMember[];
  slots?: { name: string; description?: string }[];
}
interface Manifest {
  schemaVersion: string;
  modules: { path: string; declarations?: ManifestDeclaration[] }[];
}

// A glob rather than a static import: custom-elements.json is generated (`npm run analyze`, which the
// storybook scripts run first) and git-ignored, so type-checking must not depend on it existing.
const manifests = import.meta.glob<Manifest>('../custom-elements.json', { eager: true, import: 'default' });
const manifest = Object.values(manifests)[0];

/**
 * Storybook turns every manifest member into a control, private `#fields` included, and skips a slot
 * without a name. Show only the public API, and name the default slot.
 */
function forStorybook(source: Manifest): Manifest {
  return {
    ...source,
    modules: source.modules.map((module) => ({
      ...module,
      declarations: module.declarations?.map((declaration) => ({
        ...declaration,
        members: declaration.members?.filter(
          (member) => !member.static && (member.privacy ?? 'public') === 'public' && !member.name.startsWith('#'),
        ),
        slots: declaration.slots?.map((slot) => (slot.name ? slot : { ...slot, name: '(default)' })),
      })),
    })),
  };
}

if (manifest) {
  setCustomElementsManifest(forStorybook(manifest));
} else {
  console.warn('custom-elements.json is missing: run `npm run analyze` for controls and docs.');
}

const preview: Preview = {
  parameters: {
    controls: { expanded: true },
    a11y: {
      // Violations fail the story in test runs and show red in the Accessibility panel.
      test: 'error',
    },
    docs: { toc: false },
  },
};

export default preview;
