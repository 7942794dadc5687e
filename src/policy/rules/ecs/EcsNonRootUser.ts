import { defineRule } from '../../types';
import { everyContainer } from './containers';

/** A `user` that runs as root: unset, `root`, uid 0, or `0:<gid>` / `root:<group>`. */
export function isRootUser(user: unknown): boolean {
  if (typeof user !== 'string' || user.trim() === '') return true;
  const name = user.split(':')[0].trim();
  return name === 'root' || name === '0';
}

export const EcsNonRootUser = defineRule({
  id: 'MLF-ECS-15',
  name: 'EcsNonRootUser',
  severity: 'high',
  controls: [],
  scanners: {},
  resourceTypes: ['aws_ecs_task_definition'],
  info: 'Every container sets a non-root user (e.g. "1000:1000").',
  explanation: 'Without user, the container runs as the image USER, which the task definition cannot vouch for; root in the container widens any escape. No scanner checks this.',
  evaluate(task) {
    return everyContainer(task, (c) => (isRootUser(c.user) ? `user is ${JSON.stringify(c.user ?? null)}; set a non-root uid` : undefined));
  },
});
