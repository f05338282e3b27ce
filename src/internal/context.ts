import { createContext } from '@lit/context';
import type { PartialConfig } from './config.js';

/** Configuration that a `<guild-provider>` hands to the elements inside it. */
export const guildConfigContext = createContext<PartialConfig | undefined>(Symbol('guild-config'));
