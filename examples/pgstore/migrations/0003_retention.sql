-- Placeholder for the retention store's migration (branch adapters-ret);
-- replaced by it when that branch lands.
SELECT 1;
