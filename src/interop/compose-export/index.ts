export { composeCrontabPath, composeExporter, composeImage } from './compose-exporter.ts';
