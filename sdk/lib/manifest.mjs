// weft-bundle: owns turning a validated definition into manifest.json (DESIGN.md §3 "Bundle";
// same shape as tests/fixtures/bundles/greeter/manifest.json). Every field comes from the
// definition: nothing about the integration is written twice.

export function manifestFromDefinition(definition) {
  const manifest = { id: definition.id, name: definition.name, version: definition.version };
  if (definition.icon !== undefined) manifest.icon = definition.icon;
  manifest.auth = definition.auth;
  manifest.capabilities = definition.capabilities;
  manifest.network = { allowedHosts: definition.network.allowedHosts };
  manifest.products = definition.products.map((product) => ({
    id: product.id,
    name: product.name,
    category: product.category,
    dependencies: product.dependencies,
    blocks: [...product.tools, ...product.triggers].map(blockFromDescriptor),
  }));
  return manifest;
}

function blockFromDescriptor(block) {
  return {
    id: block.id,
    name: block.name,
    description: block.description,
    category: block.category,
    inputSchema: block.inputSchema,
    outputSchema: block.outputSchema,
  };
}
