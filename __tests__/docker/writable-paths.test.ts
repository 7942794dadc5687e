/**
 * Contract between docker/Dockerfile and the task definitions: every task runs with a read-only
 * root filesystem, so every path it writes is a mounted volume, and on Fargate a bind-mounted
 * volume is root-owned 0755 unless the image declares the path as a VOLUME, whose owner and mode
 * it then takes (ECS bind-mount documentation). So every writable path a task mounts must exist in
 * the image, owned by the user the task runs as, writable by it, and declared a VOLUME after it is
 * set up and before USER. HOME (MLflow's and pip's caches, `db upgrade`) must be one of them.
 */
import { environments } from '../../src/config/environments';
import { isAppRunner } from '../../src/config/types';
import { finalStage, imageDirectories, volumes } from '../helpers/dockerfile';
import { Json, resourcesOfType, synthStack } from '../helpers/synth';

const stage = finalStage();
const directories = imageDirectories(stage);
const declared = volumes(stage);
const userIndex = stage.findIndex((i) => i.keyword === 'USER');

const taskDefinitions = environments
  .filter((c) => !isAppRunner(c))
  .flatMap((c) => Object.entries(resourcesOfType(synthStack(c), 'aws_ecs_task_definition')).map(([name, td]) => [`${c.stackName} ${name}`, td] as const));

test('there are task definitions to check, each with a read-only root and at least one writable mount', () => {
  expect(taskDefinitions.length).toBeGreaterThanOrEqual(4);
  for (const [, td] of taskDefinitions) {
    for (const c of JSON.parse(td.container_definitions) as Json[]) {
      expect(c.readonlyRootFilesystem).toBe(true);
      expect(c.mountPoints.filter((m: Json) => !m.readOnly).length).toBeGreaterThan(0);
    }
  }
});

describe.each(taskDefinitions)('%s', (_name, td) => {
  const containers = JSON.parse(td.container_definitions) as Json[];

  test.each(containers.map((c) => [c.name, c] as const))('container %s: every writable mount is an image directory owned by the task user, writable, declared a VOLUME before USER', (_c, container) => {
    const [uid, gid] = String(container.user).split(':').map(Number);
    for (const mount of container.mountPoints.filter((m: Json) => !m.readOnly)) {
      const where = `${mount.containerPath} (volume ${mount.sourceVolume})`;
      expect({ where, volumeDefined: td.volume.some((v: Json) => v.name === mount.sourceVolume) }).toEqual({ where, volumeDefined: true });
      const dir = directories.find((d) => d.path === mount.containerPath);
      expect({ where, inImage: dir !== undefined }).toEqual({ where, inImage: true });
      expect({ where, owner: `${dir!.uid}:${dir!.gid}` }).toEqual({ where, owner: `${uid}:${gid}` });
      expect({ where, ownerRwx: (dir!.mode & 0o700) === 0o700 }).toEqual({ where, ownerRwx: true });
      const volume = declared.find((v) => v.path === mount.containerPath);
      expect({ where, declaredVolume: volume !== undefined }).toEqual({ where, declaredVolume: true });
      // Docker discards changes to a volume path made after its VOLUME instruction.
      expect({ where, volumeAfterSetup: volume!.index > dir!.index, volumeBeforeUser: volume!.index < userIndex }).toEqual({ where, volumeAfterSetup: true, volumeBeforeUser: true });
    }
  });

  test.each(containers.map((c) => [c.name, c] as const))('container %s: HOME is a writable mount', (_c, container) => {
    const home = container.environment.find((e: Json) => e.name === 'HOME')?.value;
    const writable = container.mountPoints.filter((m: Json) => !m.readOnly).map((m: Json) => m.containerPath);
    expect(writable).toContain(home);
  });
});
