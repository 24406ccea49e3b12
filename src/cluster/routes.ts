import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ERROR_RESPONSES } from '../http/errors.ts'
import type { Store } from '../store/store.ts'
import { leaseViews } from './leases.ts'
import { liveNodes } from './nodes.ts'

const ClusterSchema = Type.Object({
  node_id: Type.String(),
  listening: Type.Boolean(),
  nodes: Type.Array(
    Type.Object({
      id: Type.String(),
      host: Type.String(),
      pid: Type.Integer(),
      started_at: Type.String(),
      heartbeat_age_ms: Type.Integer(),
    }),
  ),
  leases: Type.Array(
    Type.Object({
      name: Type.String(),
      holder: Type.String(),
      expires_in_ms: Type.Integer(),
      fence: Type.Integer(),
    }),
  ),
})

/** Which nodes are alive and which runs each background worker (SPEC §15 "Several nodes"), for operators. */
export const clusterAdminRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  nodeId: string
  listening: () => boolean
}> = async (app, deps) => {
  app.get(
    '/admin/v1/cluster',
    {
      schema: {
        tags: ['admin'],
        summary: 'The live nodes, and the node holding each worker lease',
        response: { 200: ClusterSchema, ...ERROR_RESPONSES },
      },
    },
    async () => ({
      node_id: deps.nodeId,
      listening: deps.listening(),
      nodes: await liveNodes(deps.store),
      leases: await leaseViews(deps.store),
    }),
  )
}
