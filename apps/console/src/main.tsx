import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './views/app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
