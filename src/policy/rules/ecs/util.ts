/** Container definitions of an aws_ecs_task_definition (a JSON string in cdk.tf.json). */
import { TfResource } from '../../model';
import { Json } from '../../values';

export type Containers = { readonly kind: 'parsed'; readonly list: Json[] } | { readonly kind: 'unknown'; readonly detail: string };

export function containersOf(task: TfResource): Containers {
  const raw = task.config.container_definitions;
  if (Array.isArray(raw)) return { kind: 'parsed', list: raw as Json[] };
  if (typeof raw !== 'string') return { kind: 'unknown', detail: 'container_definitions is not set' };
  if (raw.trim().startsWith('${')) return { kind: 'unknown', detail: 'container_definitions is an expression; emit literal JSON (JSON.stringify)' };
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? { kind: 'parsed', list: parsed as Json[] } : { kind: 'unknown', detail: 'container_definitions is not a JSON list' };
  } catch {
    return { kind: 'unknown', detail: 'container_definitions is not valid JSON' };
  }
}

export function containerName(c: Json, i: number): string {
  return typeof c.name === 'string' ? c.name : `container ${i}`;
}
