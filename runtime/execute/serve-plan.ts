/** A compiled plan as the ServedActions the server runs (runtime/rasa's interface). */
import type { Plan } from '../compile/index.js';
import type { ServedAction } from '../rasa/index.js';
import type { ExecuteDeps } from './deps.js';
import { runAction } from './run-action.js';

/** One ServedAction per declared action, in file order. */
export function servePlan(plan: Plan, deps: ExecuteDeps): ServedAction[] {
  return [...plan.actions.values()].map((action) => ({
    name: action.name,
    readsDomain: action.readsDomain,
    async run(input) {
      const { events, responses } = await runAction(action, input, deps);
      return { events, responses };
    },
  }));
}
